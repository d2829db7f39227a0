using System.Text.Json;

namespace CryptoMargin.Cli.Tests;

/// <summary>Runs the real CLI in process and captures what a user would see.</summary>
internal sealed record CliRun(int ExitCode, string Stdout, string Stderr)
{
    public static CliRun Of(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        int code = CliApp.Run(args, stdout, stderr);
        return new CliRun(code, stdout.ToString(), stderr.ToString());
    }

    /// <summary>The one JSON document on stdout (fails the test if stdout holds anything else).</summary>
    public JsonElement Json()
    {
        using var doc = JsonDocument.Parse(Stdout);
        return doc.RootElement.Clone();
    }
}

/// <summary>A temporary folder for input files, removed afterwards.</summary>
internal sealed class TempDir : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory("cryptomargin-cli-").FullName;

    public string Write(string name, string content)
    {
        var file = System.IO.Path.Combine(Path, name);
        File.WriteAllText(file, content);
        return file;
    }

    public void Dispose() => Directory.Delete(Path, recursive: true);
}

internal static class RepoPaths
{
    /// <summary>The repository root: the folder above the test binaries that holds CryptoMargin.slnx.</summary>
    public static string Root { get; } = FindRoot();

    public static string Sample(string name) => System.IO.Path.Combine(Root, "samples", "data", name);

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "CryptoMargin.slnx"))) return dir.FullName;
        throw new InvalidOperationException("repository root (CryptoMargin.slnx) not found above " + AppContext.BaseDirectory);
    }
}

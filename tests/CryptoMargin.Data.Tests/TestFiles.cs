using System.IO.Compression;
using System.Text;

namespace CryptoMargin.Data.Tests;

/// <summary>A temporary folder for one test, deleted afterwards; and where the repository's samples are.</summary>
internal sealed class TempFolder : IDisposable
{
    public TempFolder()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "cm-data-tests-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public string File(string name) => System.IO.Path.Combine(Path, name);

    /// <summary>Writes <paramref name="text"/> (UTF-8, no BOM) to a file and returns its path.</summary>
    public string Write(string name, string text)
    {
        var path = File(name);
        System.IO.File.WriteAllText(path, text, new UTF8Encoding(false));
        return path;
    }

    public string WriteGzip(string name, string text)
    {
        var path = File(name);
        using var file = System.IO.File.Create(path);
        using var gzip = new GZipStream(file, CompressionLevel.Optimal);
        gzip.Write(Encoding.UTF8.GetBytes(text));
        return path;
    }

    public void Dispose()
    {
        try { Directory.Delete(Path, recursive: true); } catch (IOException) { }
    }
}

internal static class Repo
{
    /// <summary>The repository root: the first folder above the test binaries holding CryptoMargin.slnx.</summary>
    public static string Root { get; } = FindRoot();

    public static string Sample(string name) => Path.Combine(Root, "samples", "data", name);

    /// <summary>The team's shared real data (../shared/data from the repository root); may be absent.</summary>
    public static string SharedData => Path.GetFullPath(Path.Combine(Root, "..", "shared", "data"));

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (System.IO.File.Exists(Path.Combine(dir.FullName, "CryptoMargin.slnx"))) return dir.FullName;
        throw new InvalidOperationException("repository root (CryptoMargin.slnx) not found above " + AppContext.BaseDirectory);
    }
}

using CryptoMargin.MarketData;
using Spectre.Console;

namespace CryptoMargin.Cli;

/// <summary>
/// Where a command writes: stdout for the result (one JSON document with --json, else tables), stderr for
/// progress, warnings and errors. Maps exceptions to the exit codes of the CLI contract.
/// </summary>
public sealed class CliConsole
{
    public CliConsole(TextWriter stdout, TextWriter stderr)
    {
        Out = stdout;
        Error = stderr;
        bool interactive = ReferenceEquals(stdout, Console.Out) && !Console.IsOutputRedirected;
        Tables = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(stdout),
            Ansi = interactive ? AnsiSupport.Detect : AnsiSupport.No,
            ColorSystem = interactive ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
        });
        if (!interactive) Tables.Profile.Width = RedirectedWidth;
        bool errInteractive = ReferenceEquals(stderr, Console.Error) && !Console.IsErrorRedirected;
        Progress = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(stderr),
            Ansi = errInteractive ? AnsiSupport.Detect : AnsiSupport.No,
            ColorSystem = errInteractive ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
            Interactive = errInteractive ? InteractionSupport.Yes : InteractionSupport.No,
        });
    }

    /// <summary>Table width when stdout is not a terminal (files, pipes, tests): wide enough for ISO dates on one line.</summary>
    public const int RedirectedWidth = 120;

    public TextWriter Out { get; }
    public TextWriter Error { get; }

    /// <summary>Human-readable results (tables) on stdout; not used with --json.</summary>
    public IAnsiConsole Tables { get; }

    /// <summary>Progress bars and status on stderr (animated only on a terminal).</summary>
    public IAnsiConsole Progress { get; }

    /// <summary>Runs a command body: bad input → message on stderr, exit 2; anything else unexpected → exit 1.</summary>
    public int Execute(Func<int> body)
    {
        try
        {
            return body();
        }
        catch (DataValidationException ex)
        {
            Error.WriteLine(ex.Message);
            return ExitCodes.BadInput;
        }
        catch (CliUsageException ex)
        {
            Error.WriteLine($"error: {ex.Message}");
            return ExitCodes.BadInput;
        }
        catch (Exception ex)
        {
            Error.WriteLine($"internal error: {ex.GetType().Name}: {ex.Message}");
            return ExitCodes.InternalError;
        }
    }
}

/// <summary>A combination of options that cannot be honoured (exit 2).</summary>
public sealed class CliUsageException(string message) : Exception(message);

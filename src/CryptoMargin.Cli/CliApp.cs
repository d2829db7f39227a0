using System.CommandLine;
using CryptoMargin.Cli.Commands;

namespace CryptoMargin.Cli;

/// <summary>
/// The <c>cryptomargin</c> command line. <see cref="Run"/> takes its output writers so that tests run the real
/// CLI in process and read exactly what a user would see.
/// </summary>
public static class CliApp
{
    /// <summary>Exit codes: 0 done (bad news is still 0), 1 internal failure, 2 bad input or bad usage.</summary>
    public static int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        var console = new CliConsole(stdout, stderr);
        var root = new RootCommand("CryptoMargin: calibrate and run margin models for crypto derivatives.")
        {
            ValidateCommand.Create(console),
            FitReturnsCommand.Create(console),
            CalibrateCommand.Create(console),
            BacktestCommand.Create(console),
            VarCommand.Create(console),
            ImpliedVolCommand.Create(console),
            FitSurfaceCommand.Create(console),
            MarginCommand.Create(console),
            WhatifCommand.Create(console),
            CalibrateGridCommand.Create(console),
        };

        var parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            foreach (var error in parse.Errors) stderr.WriteLine($"error: {error.Message}");
            stderr.WriteLine("Run 'cryptomargin --help' for usage.");
            return ExitCodes.BadInput;
        }
        return parse.Invoke(new InvocationConfiguration { Output = stdout, Error = stderr, EnableDefaultExceptionHandler = false });
    }
}

public static class ExitCodes
{
    public const int Ok = 0;
    public const int InternalError = 1;
    public const int BadInput = 2;
}

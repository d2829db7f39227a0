using BenchmarkDotNet.Running;

// dotnet run -c Release --project benchmarks/CryptoMargin.Benchmarks -- --filter '*'
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);

using BenchmarkDotNet.Running;
using Pipeline.Benchmarks;

// dotnet run -c Release --project bench/Pipeline.Benchmarks -- --filter '*'     the benchmarks
// dotnet run -c Release --project bench/Pipeline.Benchmarks -- --smoke        every method once, tiny sizes, seconds
if (args.Contains(SmokeRun.Argument, StringComparer.Ordinal))
{
    var results = await SmokeRun.RunAsync(Console.Out);
    return results.All(r => r.Passed) ? 0 : 1;
}

BenchmarkSwitcher.FromAssembly(typeof(SmokeRun).Assembly).Run(args);
return 0;

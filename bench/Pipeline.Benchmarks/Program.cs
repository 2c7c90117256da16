using BenchmarkDotNet.Running;
using Pipeline.Benchmarks;

// dotnet run -c Release --project bench/Pipeline.Benchmarks -- --filter '*'     the benchmarks
// dotnet run -c Release --project bench/Pipeline.Benchmarks -- --smoke        every method once, tiny sizes, seconds
// dotnet run -c Release --project bench/Pipeline.Benchmarks -- --adaptive-sweep   fixed C swept against --concurrency auto
// dotnet run -c Release --project bench/Pipeline.Benchmarks -- --process-sweep    fetch consumers and processing workers swept (README's table)
if (args.Contains(ProcessSweep.Argument, StringComparer.Ordinal))
{
    return await ProcessSweep.RunAsync(Console.Out);
}

if (args.Contains(AdaptiveSweep.Argument, StringComparer.Ordinal))
{
    return await AdaptiveSweep.RunAsync(Console.Out);
}

if (args.Contains(SmokeRun.Argument, StringComparer.Ordinal))
{
    var results = await SmokeRun.RunAsync(Console.Out);
    return results.All(r => r.Passed) ? 0 : 1;
}

BenchmarkSwitcher.FromAssembly(typeof(SmokeRun).Assembly).Run(args);
return 0;

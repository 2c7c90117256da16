namespace Pipeline.Benchmarks.Tests;

/// <summary>
/// Keeps the benchmarks building and working: every benchmark method runs once with a tiny size,
/// and each must report every URL (result, item) it was given. Benchmarks are not tests: nothing
/// here looks at a time.
/// </summary>
public sealed class SmokeRunTests
{
    [Fact]
    public async Task RunAsync_EveryBenchmarkMethod_ReportsEveryItem()
    {
        using var output = new StringWriter();

        var results = await SmokeRun.RunAsync(output);

        Assert.All(results, result => Assert.True(result.Passed, $"{result.Name}: {result.Actual} of {result.Expected}"));
        var methods = SmokeRun.BenchmarkTypes()
            .SelectMany(type => type.GetMethods().Where(m => m.GetCustomAttributes(typeof(BenchmarkDotNet.Attributes.BenchmarkAttribute), false).Length > 0).Select(m => $"{type.Name}.{m.Name}("))
            .ToList();
        Assert.Contains(methods, m => m.StartsWith("PipelineBenchmarks.Run(", StringComparison.Ordinal));
        Assert.All(methods, method => Assert.Contains(results, r => r.Name.StartsWith(method, StringComparison.Ordinal)));
        Assert.Contains($"smoke: {results.Count} passed, 0 failed", output.ToString(), StringComparison.Ordinal);
    }
}

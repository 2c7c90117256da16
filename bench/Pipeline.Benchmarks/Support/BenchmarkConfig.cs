using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

namespace Pipeline.Benchmarks.Support;

/// <summary>The configuration every benchmark class uses: in-process, few iterations, a URLs/s column.</summary>
/// <remarks>
/// In-process because the default toolchain generates and builds a second project inside this
/// repository, where Directory.Build.props turns every analyzer warning of the generated code into
/// an error; in-process also runs with this project's runtimeconfig, the same GC settings as the
/// worker. Few iterations because one invocation already covers up to a million URLs, and the
/// machine is shared: compare allocations first, times second.
/// </remarks>
internal sealed class BenchmarkConfig : ManualConfig
{
    public BenchmarkConfig()
    {
        AddJob(Job.Default
            .WithToolchain(InProcessEmitToolchain.Instance)
            .WithLaunchCount(1)
            .WithWarmupCount(2)
            .WithIterationCount(7)
            .WithInvocationCount(1)
            .WithUnrollFactor(1));
        AddColumn(new UrlsPerSecondColumn());
    }
}

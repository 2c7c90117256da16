using Microsoft.Extensions.Time.Testing;
using Pipeline.Running;
using Pipeline.Sources;
using Pipeline.Worker.Hosting;

namespace Pipeline.Worker.Tests.Hosting;

/// <summary>The finish line of a file run: share read and time left from the current rate, on a fake clock.</summary>
public sealed class InputEstimateTests
{
    private readonly FakeTimeProvider _time = new();

    [Fact]
    public void Sample_SteadyRate_GivesTheShareAndTheTimeLeftAtThatRate()
    {
        var file = new FakeInput { Total = 1000 };
        var estimate = InputEstimate.For([file], _time)!;

        Assert.Equal((0.0, (TimeSpan?)null), estimate.Sample());
        _time.Advance(TimeSpan.FromSeconds(2));
        file.Read = 200;

        // 200 bytes in 2 s: 800 left at 100 B/s.
        Assert.Equal((0.2, (TimeSpan?)TimeSpan.FromSeconds(8)), estimate.Sample());
        Assert.Equal("input 20% read, 8s left", InputEstimate.Describe(0.2, TimeSpan.FromSeconds(8)));
    }

    [Fact]
    public void Sample_RateChanges_EstimatesFromTheLastWindowOnly()
    {
        var file = new FakeInput { Total = 100_000 };
        var estimate = InputEstimate.For([file], _time)!;

        // A fast start (a resume skipping what was done) then a steady 10 B/s for longer than the window.
        estimate.Sample();
        file.Read = 50_000;
        _time.Advance(TimeSpan.FromSeconds(1));
        estimate.Sample();
        for (var i = 0; i < 30; i++)
        {
            _time.Advance(TimeSpan.FromSeconds(1));
            file.Read += 10;
            estimate.Sample();
        }

        _time.Advance(TimeSpan.FromSeconds(1));
        file.Read += 10;
        var (share, left) = estimate.Sample();

        Assert.Equal(50_310 / 100_000.0, share);
        Assert.Equal(TimeSpan.FromSeconds((100_000 - 50_310) / 10.0), left);
    }

    [Fact]
    public void Sample_FileNotOpenedYetOrStalled_SaysNoTimeLeftEstimate()
    {
        var file = new FakeInput { Total = null };
        var estimate = InputEstimate.For([file], _time)!;
        Assert.Equal((null, null), estimate.Sample());

        file.Total = 10;
        file.Read = 5;
        estimate.Sample();
        _time.Advance(TimeSpan.FromSeconds(5));

        Assert.Equal((0.5, (TimeSpan?)null), estimate.Sample());
        Assert.Equal("input 50% read", InputEstimate.Describe(0.5, null));
    }

    [Fact]
    public void Sample_AllRead_SaysInputRead()
    {
        var estimate = InputEstimate.For([new FakeInput { Total = 10, Read = 10 }], _time)!;

        Assert.Equal((1.0, (TimeSpan?)TimeSpan.Zero), estimate.Sample());
        Assert.Equal("input read", InputEstimate.Describe(1, TimeSpan.Zero));
    }

    [Fact]
    public void For_NoFileSources_HasNoEstimate()
        => Assert.Null(InputEstimate.For([new ListUrlSource("settings", ["http://127.0.0.1/"]), new StandardInputUrlSource()], _time));

    [Theory]
    [InlineData(58.2, "59s")]
    [InlineData(61, "1m01s")]
    [InlineData(7322, "2h02m")]
    public void Describe_Durations_AreShortAndRoundedUp(double seconds, string text)
        => Assert.Equal($"input 1% read, {text} left", InputEstimate.Describe(0.015, TimeSpan.FromSeconds(seconds)));

    [Fact]
    public void LiveLine_FileWithoutACount_DrawsTheBarFromTheShareRead()
    {
        var line = ProgressDisplay.LiveLine("concurrent x2", new RunCounters(), null, 0.5, "input 50% read, 8s left", TimeSpan.FromSeconds(1), 200);

        Assert.Contains("[############............] 0  input 50% read, 8s left  in flight", line, StringComparison.Ordinal);
    }

    private sealed class FakeInput : IUrlSource, IReadProgress
    {
        public long Read { get; set; }

        public long? Total { get; set; }

        public string Name => "urls.txt";

        public long? KnownCount => null;

        long IReadProgress.BytesRead => Read;

        long? IReadProgress.TotalBytes => Total;

        public IAsyncEnumerable<WorkItem> ReadAsync(CancellationToken cancellationToken) => throw new NotSupportedException();
    }
}

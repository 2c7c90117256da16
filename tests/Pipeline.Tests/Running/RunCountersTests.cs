using Pipeline.Fetching;
using Pipeline.Running;

namespace Pipeline.Tests.Running;

public sealed class RunCountersTests
{
    [Fact]
    public void Fetched_EveryOutcomeOnce_CountsOnlyFetchesThatRanToAnEnd()
    {
        var counters = new RunCounters();

        foreach (var outcome in Enum.GetValues<FetchOutcome>())
        {
            counters.ResultTaken(outcome);
        }

        // succeeded, http_error, failed: the progress line's rate; invalid, duplicate, cancelled, pending are not fetches.
        Assert.Equal(3, counters.Fetched);
        Assert.Equal(7, counters.Completed);
        Assert.Equal(1, counters.Succeeded);
    }
}

namespace Pipeline.Tests.Support;

/// <summary>A test class with its own origin per test, already warm: no test's deadline pays for the origin's start-up.</summary>
public abstract class OriginTest : IAsyncLifetime
{
    protected TestOrigin Origin { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Origin = await TestOrigin.StartAsync();
        using var warmUp = new HttpClient();
        (await warmUp.GetAsync(Origin.Url("ok"))).Dispose();
        Origin.Stats.Reset();
    }

    public async Task DisposeAsync() => await Origin.DisposeAsync();
}

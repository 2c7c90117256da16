using Microsoft.Extensions.DependencyInjection;
using Pipeline.Fetching;
using Pipeline.Sources;

namespace Pipeline.Tests.Support;

/// <summary>Fetches one URL with the pipeline's own fetcher, guarded against hangs.</summary>
public static class Fetching
{
    public static Task<FetchResult> FetchAsync(this ServiceProvider services, string url)
        => services.GetRequiredService<IUrlFetcher>().FetchAsync(url);

    public static Task<FetchResult> FetchAsync(this IUrlFetcher fetcher, string url)
        => fetcher.FetchAsync(new WorkItem("test", 1, url, new Uri(url), null), CancellationToken.None).AsTask().Guarded();
}

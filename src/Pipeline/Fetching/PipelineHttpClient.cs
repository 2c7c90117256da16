namespace Pipeline.Fetching;

/// <summary>The named <see cref="HttpClient"/> the pipeline fetches with.</summary>
public static class PipelineHttpClient
{
    /// <summary>The name under which <c>AddPipeline</c> registers the client with <see cref="IHttpClientFactory"/>.</summary>
    /// <remarks>Configure it further with <c>services.AddHttpClient(PipelineHttpClient.Name)</c>.</remarks>
    public const string Name = "Pipeline";
}

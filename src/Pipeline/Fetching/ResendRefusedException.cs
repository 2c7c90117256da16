namespace Pipeline.Fetching;

/// <summary>Thrown by the connect step and the connection streams instead of letting the handler send an unanswered request again.</summary>
/// <remarks>An <see cref="IOException"/>, like the failures the handler expects from a connection; the fetcher finds it inside the <see cref="HttpRequestException"/>.</remarks>
internal sealed class ResendRefusedException : IOException
{
    public const string Reason = "the server closed the connection without a response";

    public ResendRefusedException()
        : base(Reason)
    {
    }

    public ResendRefusedException(string message)
        : base(message)
    {
    }

    public ResendRefusedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

namespace Pipeline.Fetching;

/// <summary>Thrown from the connect step when the address policy refuses every address of a host.</summary>
/// <remarks>The handler wraps it in an <see cref="HttpRequestException"/>; the fetcher finds it there and reports its message as the URL's reason.</remarks>
internal sealed class AddressRefusedException : Exception
{
    public AddressRefusedException()
    {
    }

    public AddressRefusedException(string message)
        : base(message)
    {
    }

    public AddressRefusedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

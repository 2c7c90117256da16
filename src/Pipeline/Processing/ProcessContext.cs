using System.Security.Cryptography;
using Pipeline.Fetching;

namespace Pipeline.Processing;

/// <summary>What a processing step sees of one result: the result itself, the body that was kept, and the outputs so far.</summary>
public sealed class ProcessContext
{
    private string? _sha256;

    internal ProcessContext(FetchResult result, ResponseBody? body, ProcessOutput output, ProcessOptions? options = null)
    {
        Options = options ?? new ProcessOptions();
        Result = result;
        BodyBuffer = body;
        Output = output;
    }

    /// <summary>Gets the fetched result (its outcome is <see cref="FetchOutcome.Succeeded"/>).</summary>
    public FetchResult Result { get; }

    /// <summary>Gets the body bytes that were kept: all of it, or its first <c>Pipeline:Process:MaxBodyBytes</c> when <see cref="Truncated"/>.</summary>
    /// <remarks>Empty when no chosen step needs the body, or when the fetcher does not capture bodies. Valid only during the step.</remarks>
    public ReadOnlyMemory<byte> Body => BodyBuffer?.Memory ?? ReadOnlyMemory<byte>.Empty;

    /// <summary>Gets a value indicating whether the body was longer than what was kept.</summary>
    public bool Truncated => BodyBuffer?.Truncated ?? false;

    /// <summary>Gets the processing options the run started with (<c>Pipeline:Process</c>).</summary>
    public ProcessOptions Options { get; }

    /// <summary>Gets the outputs written so far; a step adds its own with the <c>Set</c> methods.</summary>
    public ProcessOutput Output { get; }

    internal ResponseBody? BodyBuffer { get; }

    /// <summary>Gets the SHA-256 of <see cref="Body"/> as lowercase hex, computed once per result and shared by the steps that need it.</summary>
    /// <returns>64 hex digits.</returns>
    public string Sha256()
    {
        if (_sha256 is null)
        {
            Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
            SHA256.HashData(Body.Span, hash);
            _sha256 = Convert.ToHexStringLower(hash);
        }

        return _sha256;
    }
}

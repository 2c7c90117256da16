namespace Pipeline;

/// <summary>What a run does with a URL it has already taken.</summary>
public enum DuplicatePolicy
{
    /// <summary>Fetch it once; later lines with the same URL become <c>duplicate</c> results naming the first.</summary>
    Skip,

    /// <summary>Fetch every line, repeats included.</summary>
    Fetch,
}

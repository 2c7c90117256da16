namespace Pipeline.Fetching;

/// <summary>How one input line ended.</summary>
public enum FetchOutcome
{
    /// <summary>The server answered with a 1xx, 2xx or 3xx status and the whole body was read.</summary>
    Succeeded,

    /// <summary>The server answered with a 4xx or 5xx status; the body was read.</summary>
    HttpError,

    /// <summary>No usable answer: connection refused or reset, timeout, protocol error.</summary>
    Failed,

    /// <summary>The input line is not an absolute http or https URL; nothing was sent.</summary>
    Invalid,

    /// <summary>The URL was already fetched from an earlier line of this run; nothing was sent.</summary>
    Duplicate,

    /// <summary>The run was stopped while this URL was being fetched.</summary>
    Cancelled,

    /// <summary>The run was stopped before this URL was fetched.</summary>
    Pending,
}

namespace Pipeline.Worker.Hosting.Service;

/// <summary>What became of one inbox file.</summary>
internal enum InboxFileOutcome
{
    /// <summary>Its batch finished and it was moved to the done folder.</summary>
    Done,

    /// <summary>The service stopped during its batch: it stays in the inbox and resumes on the next start.</summary>
    Left,

    /// <summary>It disappeared before or during its batch: logged, nothing else to do.</summary>
    Vanished,

    /// <summary>It could not be read or moved: logged and left alone until it changes.</summary>
    Skipped,

    /// <summary>Its batch failed (after the retries an I/O error gets): renamed to <c>.failed</c> with a <c>.failed.reason</c> beside it.</summary>
    Quarantined,
}

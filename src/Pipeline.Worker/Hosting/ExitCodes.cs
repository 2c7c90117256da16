namespace Pipeline.Worker.Hosting;

/// <summary>The process exit codes, for scripts and service managers.</summary>
internal static class ExitCodes
{
    /// <summary>Every URL was fetched with a success status (repeats skipped as duplicates count as done).</summary>
    public const int Success = 0;

    /// <summary>The worker itself failed (the results file could not be written, for example).</summary>
    public const int Failed = 1;

    /// <summary>The configuration is invalid; nothing was fetched.</summary>
    public const int InvalidConfiguration = 2;

    /// <summary>The batch finished and every URL is accounted for, but some failed, answered 4xx/5xx or were not URLs: see the results file.</summary>
    public const int CompletedWithFailures = 3;

    /// <summary>
    /// The run was stopped (Ctrl+C, SIGTERM) before it finished and what it had not done is saved
    /// (or, for a broker worker, back in the queue): the same command resumes. 128 + SIGINT, as shells report it.
    /// </summary>
    public const int Interrupted = 130;

    /// <summary>
    /// The run was stopped and the state could <b>not</b> be saved: the host's shutdown timeout ran
    /// out first, or saving failed. URLs in flight are not recorded; the next start repeats what the
    /// last checkpoint did not cover. Also a stopped batch that keeps no state by nature (URLs from
    /// standard input, results to standard output): nothing was saved, the same command starts over.
    /// </summary>
    public const int InterruptedNotSaved = 4;

    /// <summary>
    /// The producer lost the broker (connection closed, message refused) while publishing: the batch id
    /// and its confirmed positions are saved, and the same command resumes the same batch (EX_TEMPFAIL).
    /// </summary>
    public const int BrokerLost = 75;
}

namespace Pipeline.Tests.Support;

/// <summary>Guards awaits on the pipeline so a broken build fails a test instead of hanging the suite.</summary>
public static class Signals
{
    /// <summary>Long enough never to fire on a healthy run, even on a loaded CI machine.</summary>
    public static readonly TimeSpan HangGuard = TimeSpan.FromSeconds(60);

    public static Task<T> Guarded<T>(this Task<T> task) => task.WaitAsync(HangGuard);

    public static Task Guarded(this Task task) => task.WaitAsync(HangGuard);
}

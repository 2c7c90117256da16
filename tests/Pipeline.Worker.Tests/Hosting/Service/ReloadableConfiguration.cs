using Microsoft.Extensions.Configuration;

namespace Pipeline.Worker.Tests.Hosting.Service;

/// <summary>An in-memory configuration source a test edits and reloads on demand, as a saved appsettings.json would.</summary>
internal sealed class ReloadableConfiguration : ConfigurationProvider, IConfigurationSource
{
    public IConfigurationProvider Build(IConfigurationBuilder builder) => this;

    /// <summary>Sets keys and raises the reload, which the host sees as an edited configuration file.</summary>
    public void Edit(params (string Key, string Value)[] settings)
    {
        foreach (var (key, value) in settings)
        {
            Data[key] = value;
        }

        try
        {
            OnReload();
        }
        catch (AggregateException ex) when (ex.Flatten().InnerExceptions.All(e => e is Microsoft.Extensions.Options.OptionsValidationException))
        {
            // An options monitor rebuilding its value after an invalid edit throws from the reload
            // callback. A saved appsettings.json raises the reload on a thread-pool task of the file
            // watcher, where this goes unobserved; here it reaches the test's thread.
        }
    }
}

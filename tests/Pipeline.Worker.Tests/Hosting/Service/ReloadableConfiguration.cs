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

        OnReload();
    }
}

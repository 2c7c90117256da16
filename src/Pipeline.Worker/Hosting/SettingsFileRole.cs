namespace Pipeline.Worker.Hosting;

/// <summary>What a settings file holds.</summary>
internal enum SettingsFileRole
{
    /// <summary>The <c>appsettings.json</c> shipped beside the binary (and its environment variant): the defaults.</summary>
    Defaults,

    /// <summary>The operator's file, which overrides the defaults and is the one to edit.</summary>
    Operator,
}

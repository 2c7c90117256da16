using System.ComponentModel;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Reflection;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Pipeline;

/// <summary>
/// Checks a configuration section against an options type before it is bound, so that a typo or a
/// value of the wrong kind is reported with its key and the allowed values instead of the binder's
/// first exception, and every problem of the section is listed at once.
/// </summary>
public static class ConfigurationCheck
{
    /// <summary>Binds the section after checking it; problems surface through <c>ValidateOnStart</c>.</summary>
    /// <typeparam name="TOptions">The options type.</typeparam>
    /// <param name="builder">The options builder.</param>
    /// <param name="section">The section to bind.</param>
    /// <returns>The builder.</returns>
    /// <remarks>
    /// The section's keys are claimed for <typeparamref name="TOptions"/>, and the section's name for
    /// its parent: a key is unknown only when no registered options type, of whichever assembly,
    /// claims it. Several options types may share a section (the worker's run mode sits beside the
    /// pipeline's settings in <c>Pipeline</c>); the first registered reports its unknown keys.
    /// </remarks>
    public static OptionsBuilder<TOptions> BindChecked<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicProperties)] TOptions>(this OptionsBuilder<TOptions> builder, IConfigurationSection section)
        where TOptions : class
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(section);
        var keys = KeysOf(typeof(TOptions));
        builder.Services.AddSingleton(new ConfigurationClaim(section.Path, typeof(TOptions), keys));
        var problems = new ConfigurationProblemsValidator<TOptions>();
        builder.Configure<IEnumerable<ConfigurationClaim>>((options, claims) =>
        {
            problems.Problems = Problems(section, typeof(TOptions), [.. claims]);
            if (problems.Problems.Count == 0)
            {
                section.Bind(options);
                return;
            }

            // Bind everything but the broken keys, so the validators still run on the rest and
            // start-up lists every problem of the section at once, not just the first.
            var broken = problems.BrokenPaths;
            var kept = section.AsEnumerable()
                .Where(pair => !broken.Any(path => pair.Key.Equals(path, StringComparison.OrdinalIgnoreCase)
                    || pair.Key.StartsWith(path + ConfigurationPath.KeyDelimiter, StringComparison.OrdinalIgnoreCase)));
            new ConfigurationBuilder().AddInMemoryCollection(kept).Build().GetSection(section.Path).Bind(options);
        });
        builder.Services.AddSingleton<IValidateOptions<TOptions>>(problems);

        // What Configure(IConfiguration) would register: without it IOptionsMonitor never sees an
        // edited appsettings.json, and a service could not pick up changes (read them through
        // LastValidOptions, as an invalid edit makes CurrentValue throw).
        builder.Services.AddSingleton<IOptionsChangeTokenSource<TOptions>>(new ConfigurationChangeTokenSource<TOptions>(builder.Name, section));
        return builder;
    }

    /// <summary>
    /// Declares a section known without binding it here, so its parent does not report it as an
    /// unknown setting: for a section whose options are registered only in some modes (the broker's
    /// settings when the transport is in-process).
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="sectionPath">The section's full path, such as <c>Pipeline:RabbitMq</c>.</param>
    /// <returns>The services.</returns>
    public static IServiceCollection AddConfigurationSection(this IServiceCollection services, string sectionPath)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentException.ThrowIfNullOrEmpty(sectionPath);
        services.AddSingleton(new ConfigurationClaim(sectionPath, null, []));
        return services;
    }

    /// <summary>Lists what is wrong with a section for an options type.</summary>
    internal static List<(string Path, string Message)> Problems(IConfigurationSection section, [DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicProperties)] Type optionsType, IReadOnlyList<ConfigurationClaim> claims)
    {
        var problems = new List<(string Path, string Message)>();
        var properties = optionsType
            .GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .ToDictionary(p => p.Name, StringComparer.OrdinalIgnoreCase);

        // Keys other options types claim in this section, and the sections claimed below it.
        var same = claims.Where(c => c.Path.Equals(section.Path, StringComparison.OrdinalIgnoreCase)).ToList();
        var reportsUnknown = same.Count == 0 || same[0].Owner == optionsType;
        var known = new HashSet<string>(properties.Keys, StringComparer.OrdinalIgnoreCase);
        known.UnionWith(same.SelectMany(c => c.Keys));
        known.UnionWith(claims
            .Where(c => ConfigurationPath.GetParentPath(c.Path) is { } parent && parent.Equals(section.Path, StringComparison.OrdinalIgnoreCase))
            .Select(c => ConfigurationPath.GetSectionKey(c.Path)));

        foreach (var child in section.GetChildren())
        {
            if (!properties.TryGetValue(child.Key, out var property))
            {
                if (reportsUnknown && !known.Contains(child.Key))
                {
                    var list = string.Join(", ", known.Order(StringComparer.Ordinal));
                    problems.Add((child.Path, $"{child.Path}: unknown setting. Known settings of '{section.Path}': {list}."));
                }

                continue;
            }

            if (child.Value is not { } value)
            {
                continue;
            }

            if (Problem(child.Path, value, property.PropertyType) is { } problem)
            {
                problems.Add((child.Path, problem));
            }
        }

        return problems;
    }

    private static string[] KeysOf([DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicProperties)] Type optionsType)
        => [.. optionsType.GetProperties(BindingFlags.Public | BindingFlags.Instance).Select(p => p.Name)];

    private static string? Problem(string path, string value, Type type)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        if (type.IsEnum)
        {
            var allowed = string.Join(", ", Enum.GetNames(type));

            // A flags enum takes a comma-separated combination ("Console, Otlp"); each part must be a name.
            var flags = type.IsDefined(typeof(FlagsAttribute), inherit: false);
            var parts = flags ? value.Split(',', StringSplitOptions.TrimEntries) : [value];
            var valid = parts.All(part => part.Length > 0
                && !part.Trim().All(c => char.IsAsciiDigit(c) || c == '-')
                && Enum.TryParse(type, part, ignoreCase: true, out var parsed)
                && Enum.IsDefined(type, parsed!));
            var combine = flags ? " (several may be combined with commas)" : string.Empty;
            return valid ? null : $"{path}: '{value}' is not valid. Allowed values: {allowed}{combine}.";
        }

        if (type == typeof(string) || !(type.IsPrimitive || type == typeof(TimeSpan) || type == typeof(decimal)))
        {
            return null;
        }

        try
        {
            _ = TypeDescriptor.GetConverter(type).ConvertFromInvariantString(value);
            return null;
        }
        catch (Exception ex) when (ex is FormatException or ArgumentException or OverflowException || ex.InnerException is FormatException or OverflowException)
        {
            var expected = type == typeof(TimeSpan) ? "a duration such as 00:00:05 (hh:mm:ss)" : $"a value of type {type.Name}";
            return string.Create(CultureInfo.InvariantCulture, $"{path}: '{value}' is not {expected}.");
        }
    }
}

using System.ComponentModel;
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
    /// <param name="subsections">Child sections that belong to other options classes.</param>
    /// <returns>The builder.</returns>
    public static OptionsBuilder<TOptions> BindChecked<TOptions>(this OptionsBuilder<TOptions> builder, IConfigurationSection section, params string[] subsections)
        where TOptions : class
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(section);
        var problems = new ConfigurationProblemsValidator<TOptions>();
        builder.Configure(options =>
        {
            problems.Problems = Problems(section, typeof(TOptions), subsections);
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

    /// <summary>Lists what is wrong with a section for an options type.</summary>
    internal static List<(string Path, string Message)> Problems(IConfigurationSection section, Type optionsType, IReadOnlyCollection<string> subsections)
    {
        var problems = new List<(string Path, string Message)>();
        var properties = optionsType
            .GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .ToDictionary(p => p.Name, StringComparer.OrdinalIgnoreCase);

        foreach (var child in section.GetChildren())
        {
            if (!properties.TryGetValue(child.Key, out var property))
            {
                if (!subsections.Contains(child.Key, StringComparer.OrdinalIgnoreCase))
                {
                    var known = string.Join(", ", properties.Keys.Concat(subsections).Order(StringComparer.Ordinal));
                    problems.Add((child.Path, $"{child.Path}: unknown setting. Known settings of '{section.Path}': {known}."));
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

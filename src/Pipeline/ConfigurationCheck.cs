using System.Collections.Concurrent;
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
    // Options type -> its section and property names, recorded at registration so that a validation
    // failure can name the configuration key without reflecting over a type the trimmer may have thinned.
    private static readonly ConcurrentDictionary<Type, (string Section, HashSet<string> Properties)> Sections = new();

    /// <summary>Binds the section after checking it; problems surface through <c>ValidateOnStart</c>.</summary>
    /// <typeparam name="TOptions">The options type.</typeparam>
    /// <param name="builder">The options builder.</param>
    /// <param name="section">The section to bind.</param>
    /// <param name="bind">
    /// Binds a section to the options: pass <c>static (section, options) =&gt; section.Bind(options)</c>.
    /// Written where the options type is known, the configuration binding source generator turns it
    /// into plain code; a reflection-based bind inside this generic method would not survive NativeAOT.
    /// </param>
    /// <param name="subsections">Child sections that belong to other options classes.</param>
    /// <returns>The builder.</returns>
    public static OptionsBuilder<TOptions> BindChecked<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicProperties)] TOptions>(
        this OptionsBuilder<TOptions> builder, IConfigurationSection section, Action<IConfiguration, TOptions> bind, params string[] subsections)
        where TOptions : class
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(section);
        ArgumentNullException.ThrowIfNull(bind);
        Sections[typeof(TOptions)] = (section.Path, typeof(TOptions)
            .GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Select(p => p.Name)
            .ToHashSet(StringComparer.Ordinal));
        var problems = new ConfigurationProblemsValidator<TOptions>();
        builder.Configure(options =>
        {
            problems.Problems = Problems(section, typeof(TOptions), subsections);
            if (problems.Problems.Count == 0)
            {
                bind(section, options);
                return;
            }

            // Bind everything but the broken keys, so the validators still run on the rest and
            // start-up lists every problem of the section at once, not just the first.
            var broken = problems.BrokenPaths;
            var kept = section.AsEnumerable()
                .Where(pair => !broken.Any(path => pair.Key.Equals(path, StringComparison.OrdinalIgnoreCase)
                    || pair.Key.StartsWith(path + ConfigurationPath.KeyDelimiter, StringComparison.OrdinalIgnoreCase)));
            bind(new ConfigurationBuilder().AddInMemoryCollection(kept).Build().GetSection(section.Path), options);
        });
        builder.Services.AddSingleton<IValidateOptions<TOptions>>(problems);

        // What Configure(IConfiguration) would register: without it IOptionsMonitor never sees an
        // edited appsettings.json, and a service could not pick up changes (read them through
        // LastValidOptions, as an invalid edit makes CurrentValue throw).
        builder.Services.AddSingleton<IOptionsChangeTokenSource<TOptions>>(new ConfigurationChangeTokenSource<TOptions>(builder.Name, section));
        return builder;
    }

    /// <summary>Gives the configuration key of an options property, such as <c>Pipeline:Concurrency</c>.</summary>
    /// <param name="optionsType">An options type registered with <see cref="BindChecked"/>.</param>
    /// <param name="property">The name of one of its public properties.</param>
    /// <param name="key">The key, when the type was registered and has that property.</param>
    /// <returns>Whether the key is known.</returns>
    public static bool TryGetKey(Type optionsType, string property, [NotNullWhen(true)] out string? key)
    {
        key = Sections.TryGetValue(optionsType, out var entry) && entry.Properties.Contains(property)
            ? $"{entry.Section}:{property}"
            : null;
        return key is not null;
    }

    /// <summary>Lists what is wrong with a section for an options type.</summary>
    internal static List<(string Path, string Message)> Problems(
        IConfigurationSection section,
        [DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicProperties)] Type optionsType,
        IReadOnlyCollection<string> subsections)
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

        if (Parses(value, type))
        {
            return null;
        }

        var expected = type == typeof(TimeSpan) ? "a duration such as 00:00:05 (hh:mm:ss)" : $"a value of type {type.Name}";
        return string.Create(CultureInfo.InvariantCulture, $"{path}: '{value}' is not {expected}.");
    }

    // The parses the configuration binding source generator uses for these types (invariant culture;
    // integers as NumberStyles.Integer, floating point as Float | AllowThousands), so what passes
    // here also binds. No TypeConverter: those are found by reflection, which NativeAOT trims.
    private static bool Parses(string value, Type type)
    {
        const NumberStyles Integer = NumberStyles.Integer;
        const NumberStyles Float = NumberStyles.Float | NumberStyles.AllowThousands;
        var invariant = CultureInfo.InvariantCulture;
        return Type.GetTypeCode(type) switch
        {
            TypeCode.Boolean => bool.TryParse(value, out _),
            TypeCode.Char => value.Length == 1,
            TypeCode.SByte => sbyte.TryParse(value, Integer, invariant, out _),
            TypeCode.Byte => byte.TryParse(value, Integer, invariant, out _),
            TypeCode.Int16 => short.TryParse(value, Integer, invariant, out _),
            TypeCode.UInt16 => ushort.TryParse(value, Integer, invariant, out _),
            TypeCode.Int32 => int.TryParse(value, Integer, invariant, out _),
            TypeCode.UInt32 => uint.TryParse(value, Integer, invariant, out _),
            TypeCode.Int64 => long.TryParse(value, Integer, invariant, out _),
            TypeCode.UInt64 => ulong.TryParse(value, Integer, invariant, out _),
            TypeCode.Single => float.TryParse(value, Float, invariant, out _),
            TypeCode.Double => double.TryParse(value, Float, invariant, out _),
            TypeCode.Decimal => decimal.TryParse(value, Float, invariant, out _),
            _ when type == typeof(TimeSpan) => TimeSpan.TryParse(value, invariant, out _),
            _ => true,
        };
    }
}

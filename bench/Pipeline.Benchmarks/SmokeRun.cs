using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using BenchmarkDotNet.Attributes;
using Pipeline.Benchmarks.Support;

namespace Pipeline.Benchmarks;

/// <summary>
/// Calls every benchmark method once, for every combination of its parameters, with a tiny size and
/// without BenchmarkDotNet: seconds in all, so tests and CI can keep the benchmarks building and
/// working. It checks counts (every URL came out the other end), never times.
/// </summary>
internal static class SmokeRun
{
    public const string Argument = "--smoke";

    public static async Task<IReadOnlyList<SmokeResult>> RunAsync(TextWriter output)
    {
        var results = new List<SmokeResult>();
        foreach (var type in BenchmarkTypes())
        {
            var methods = type.GetMethods().Where(m => m.GetCustomAttribute<BenchmarkAttribute>() is not null).OrderBy(m => m.Name, StringComparer.Ordinal).ToList();
            foreach (var parameters in Combinations(ParameterProperties(type)))
            {
                var instance = Activator.CreateInstance(type)!;
                var smokeable = instance as ISmokeable ?? throw new InvalidOperationException($"{type.Name} must implement {nameof(ISmokeable)} so the smoke run can shrink it.");
                foreach (var (property, value) in parameters)
                {
                    property.SetValue(instance, value);
                }

                smokeable.UseSmokeSize();
                var label = string.Join(", ", parameters.Select(p => string.Create(CultureInfo.InvariantCulture, $"{p.Property.Name}={p.Value}")));
                await InvokeAllAsync<GlobalSetupAttribute>(instance);
                try
                {
                    foreach (var method in methods)
                    {
                        var watch = Stopwatch.StartNew();
                        var count = await InvokeAsync(instance, method);
                        var result = new SmokeResult($"{type.Name}.{method.Name}({label})", smokeable.ExpectedCount, count, watch.Elapsed);
                        results.Add(result);
                        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"{(result.Passed ? "ok  " : "FAIL")} {result.Name}: {result.Actual} of {result.Expected} in {result.Elapsed.TotalMilliseconds:0} ms"));
                    }
                }
                finally
                {
                    await InvokeAllAsync<GlobalCleanupAttribute>(instance);
                }
            }
        }

        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"smoke: {results.Count(r => r.Passed)} passed, {results.Count(r => !r.Passed)} failed"));
        return results;
    }

    internal static IEnumerable<Type> BenchmarkTypes() => typeof(SmokeRun).Assembly.GetTypes()
        .Where(t => t is { IsClass: true, IsAbstract: false } && t.GetMethods().Any(m => m.GetCustomAttribute<BenchmarkAttribute>() is not null))
        .OrderBy(t => t.Name, StringComparer.Ordinal);

    private static List<(PropertyInfo Property, object?[] Values)> ParameterProperties(Type type)
    {
        var found = new List<(PropertyInfo, object?[])>();
        foreach (var property in type.GetProperties())
        {
            if (property.GetCustomAttribute<ParamsAttribute>() is { } values)
            {
                found.Add((property, values.Values));
            }
            else if (property.GetCustomAttribute<ParamsAllValuesAttribute>() is not null)
            {
                var kind = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
                found.Add((property, kind == typeof(bool) ? [false, true] : [.. Enum.GetValues(kind).Cast<object?>()]));
            }
        }

        return found;
    }

    private static IEnumerable<List<(PropertyInfo Property, object? Value)>> Combinations(List<(PropertyInfo Property, object?[] Values)> parameters)
    {
        IEnumerable<List<(PropertyInfo Property, object? Value)>> combinations = [[]];
        foreach (var (property, values) in parameters)
        {
            combinations = combinations.SelectMany(combination => values.Select(value => new List<(PropertyInfo, object?)>(combination) { (property, value) })).ToList();
        }

        return combinations;
    }

    private static async Task InvokeAllAsync<TAttribute>(object instance)
        where TAttribute : Attribute
    {
        foreach (var method in instance.GetType().GetMethods().Where(m => m.GetCustomAttribute<TAttribute>() is not null))
        {
            if (method.Invoke(instance, null) is Task task)
            {
                await task;
            }
        }
    }

    private static async Task<long> InvokeAsync(object instance, MethodInfo method) => method.Invoke(instance, null) switch
    {
        long count => count,
        Task<long> task => await task,
        var other => throw new InvalidOperationException($"{method.DeclaringType?.Name}.{method.Name} must return long or Task<long> (a count), not {other?.GetType().Name ?? "nothing"}."),
    };
}

using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.Options;

namespace Pipeline;

/// <summary>
/// Reads an options monitor, falling back to the last value that passed validation when a reload
/// of the configuration (an edited appsettings.json) made the current one invalid.
/// </summary>
/// <typeparam name="TOptions">The options type.</typeparam>
/// <remarks>
/// After an invalid reload <see cref="IOptionsMonitor{TOptions}.CurrentValue"/> throws
/// <see cref="OptionsValidationException"/> on every read: without this, a long-running service
/// would fail every URL until the file is fixed, instead of going on with the settings it had.
/// The rejected edit itself is reported by whoever watches the configuration (the worker's service mode).
/// </remarks>
public sealed class LastValidOptions<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicParameterlessConstructor)] TOptions>
    where TOptions : class
{
    private readonly IOptionsMonitor<TOptions> _monitor;
    private TOptions _last;

    /// <summary>Initializes a new instance of the <see cref="LastValidOptions{TOptions}"/> class.</summary>
    /// <param name="monitor">The monitor; its current value must be valid now (start-up validation has run).</param>
    public LastValidOptions(IOptionsMonitor<TOptions> monitor)
    {
        ArgumentNullException.ThrowIfNull(monitor);
        _monitor = monitor;
        _last = monitor.CurrentValue;
    }

    /// <summary>Gets the current value, or the last valid one while the configuration is invalid.</summary>
    public TOptions Value
    {
        get
        {
            try
            {
                var current = _monitor.CurrentValue;
                Volatile.Write(ref _last, current);
                return current;
            }
            catch (OptionsValidationException)
            {
                return Volatile.Read(ref _last);
            }
        }
    }
}

using System.ComponentModel.DataAnnotations;
using System.Globalization;

namespace Pipeline;

/// <summary>Requires a <see cref="TimeSpan"/> option to lie between two durations, both included.</summary>
/// <remarks>
/// Replaces <c>[TimeSpanRange(min, max)]</c>: that constructor parses through a
/// <c>TypeConverter</c> found by reflection, so the trim analyzer flags every use of it, and the
/// NativeAOT binary could not rely on it. This one parses with <see cref="TimeSpan.Parse(string, IFormatProvider)"/>
/// and words its failure exactly as <c>RangeAttribute</c> does.
/// </remarks>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field | AttributeTargets.Parameter, AllowMultiple = false)]
public sealed class TimeSpanRangeAttribute : ValidationAttribute
{
    /// <summary>Initializes a new instance of the <see cref="TimeSpanRangeAttribute"/> class.</summary>
    /// <param name="minimum">The smallest allowed duration, such as <c>00:00:00.100</c> (invariant culture).</param>
    /// <param name="maximum">The largest allowed duration, such as <c>1.00:00:00</c>.</param>
    public TimeSpanRangeAttribute(string minimum, string maximum)
        : base("The field {0} must be between {1} and {2}.")
    {
        Minimum = TimeSpan.Parse(minimum, CultureInfo.InvariantCulture);
        Maximum = TimeSpan.Parse(maximum, CultureInfo.InvariantCulture);
    }

    /// <summary>Gets the smallest allowed duration.</summary>
    public TimeSpan Minimum { get; }

    /// <summary>Gets the largest allowed duration.</summary>
    public TimeSpan Maximum { get; }

    /// <inheritdoc/>
    public override bool IsValid(object? value)
        => value is null || (value is TimeSpan duration && duration >= Minimum && duration <= Maximum);

    /// <inheritdoc/>
    public override string FormatErrorMessage(string name)
        => string.Format(CultureInfo.CurrentCulture, ErrorMessageString, name, Minimum, Maximum);
}

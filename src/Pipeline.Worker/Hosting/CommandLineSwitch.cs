namespace Pipeline.Worker.Hosting;

/// <summary>One command-line switch.</summary>
/// <param name="Name">The switch, e.g. <c>--input</c>.</param>
/// <param name="Value">The placeholder of its value in the help text; <see langword="null"/> for a flag.</param>
/// <param name="Key">The configuration key it sets; <see langword="null"/> for an action (<c>--help</c>).</param>
/// <param name="Help">One line for <c>--help</c>.</param>
/// <param name="Repeatable">Whether it may be given more than once, each time adding a value.</param>
internal sealed record CommandLineSwitch(string Name, string? Value, string? Key, string Help, bool Repeatable = false);

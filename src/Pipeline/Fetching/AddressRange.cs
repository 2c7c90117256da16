using System.Net;

namespace Pipeline.Fetching;

/// <summary>One row of <see cref="SpecialPurposeAddresses"/>.</summary>
/// <param name="Prefix">The block in CIDR notation.</param>
/// <param name="Name">The registry's name for it, in words.</param>
/// <param name="Reference">Where it is defined.</param>
/// <param name="Category">The category the policy decides on.</param>
internal sealed record AddressRange(string Prefix, string Name, string Reference, AddressCategory Category)
{
    public IPNetwork Network { get; } = IPNetwork.Parse(Prefix);

    /// <summary>Gets the rule as a refusal names it: <c>link-local 169.254.0.0/16</c>.</summary>
    public string Rule => $"{Name} {Prefix}";
}

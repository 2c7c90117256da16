using System.Net;

namespace Pipeline.Fetching;

/// <summary>The category of an address and the rule (registry entry) that put it there.</summary>
/// <param name="Category">The category.</param>
/// <param name="Rule">The matching entry in words, such as <c>link-local 169.254.0.0/16</c>; <c>public</c> for public addresses.</param>
/// <param name="Address">The address judged: the connected one, or an IPv4 address carried inside it.</param>
/// <param name="Carrier">How <paramref name="Address"/> was found inside the connected address (<c>NAT64 64:ff9b::/96</c>), or <see langword="null"/> for the address itself.</param>
internal readonly record struct AddressClassification(AddressCategory Category, string Rule, IPAddress Address, string? Carrier = null);

using System.Net;

namespace Pipeline.Fetching;

/// <summary>Decides, per resolved address, whether the fetcher may connect to it.</summary>
/// <remarks>
/// An address is refused when its own category is refused or when any IPv4 address carried inside
/// it is: <c>64:ff9b::a9fe:a9fe</c> reaches 169.254.169.254 through a NAT64 gateway.
/// </remarks>
internal sealed class AddressPolicy
{
    private readonly AddressAccess[] _access;

    /// <summary>Initializes a new instance of the <see cref="AddressPolicy"/> class.</summary>
    /// <param name="access">Access per category; categories not named are allowed only when they are <see cref="AddressCategory.Public"/>.</param>
    public AddressPolicy(IReadOnlyDictionary<AddressCategory, AddressAccess> access)
    {
        ArgumentNullException.ThrowIfNull(access);
        _access = new AddressAccess[Enum.GetValues<AddressCategory>().Length];
        Array.Fill(_access, AddressAccess.Refuse);
        _access[(int)AddressCategory.Public] = AddressAccess.Allow;
        foreach (var (category, value) in access)
        {
            _access[(int)category] = value;
        }
    }

    public static AddressPolicy From(HttpFetchOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new AddressPolicy(new Dictionary<AddressCategory, AddressAccess>
        {
            [AddressCategory.Loopback] = options.LoopbackAddresses,
            [AddressCategory.Private] = options.PrivateAddresses,
            [AddressCategory.Shared] = options.SharedAddresses,
            [AddressCategory.LinkLocal] = options.LinkLocalAddresses,
            [AddressCategory.Metadata] = options.MetadataAddresses,
            [AddressCategory.Multicast] = options.MulticastAddresses,
            [AddressCategory.Documentation] = options.DocumentationAddresses,
            [AddressCategory.Benchmarking] = options.BenchmarkingAddresses,
            [AddressCategory.Unspecified] = options.UnspecifiedAddresses,
            [AddressCategory.Reserved] = options.ReservedAddresses,
        });
    }

    /// <summary>Gets whether a category may be connected to.</summary>
    public AddressAccess this[AddressCategory category] => _access[(int)category];

    /// <summary>Checks an address.</summary>
    /// <param name="address">A resolved address.</param>
    /// <returns>Why the address is refused, naming it and the rule, or <see langword="null"/> when it is allowed.</returns>
    public string? Refusal(IPAddress address)
    {
        foreach (var classification in AddressClassifier.ClassifyAll(address))
        {
            if (this[classification.Category] == AddressAccess.Refuse)
            {
                return classification.Carrier is { } carrier
                    ? $"address {address} refused by the address policy ({carrier} carries {classification.Address}: {classification.Rule})"
                    : $"address {address} refused by the address policy ({classification.Rule})";
            }
        }

        return null;
    }
}

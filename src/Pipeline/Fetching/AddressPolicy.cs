using System.Net;

namespace Pipeline.Fetching;

/// <summary>Decides, per resolved address, whether the fetcher may connect to it.</summary>
/// <param name="loopback">Access to loopback addresses.</param>
/// <param name="private">Access to private addresses.</param>
/// <param name="linkLocal">Access to link-local and cloud metadata addresses.</param>
internal sealed class AddressPolicy(AddressAccess loopback, AddressAccess @private, AddressAccess linkLocal)
{
    public static AddressPolicy From(HttpFetchOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new AddressPolicy(options.LoopbackAddresses, options.PrivateAddresses, options.LinkLocalAddresses);
    }

    /// <summary>Checks an address.</summary>
    /// <param name="address">A resolved address.</param>
    /// <returns>Why the address is refused, naming it and the rule, or <see langword="null"/> when it is allowed.</returns>
    public string? Refusal(IPAddress address)
    {
        var (category, rule) = AddressClassifier.Classify(address);
        var access = category switch
        {
            AddressCategory.Loopback => loopback,
            AddressCategory.Private => @private,
            AddressCategory.LinkLocal => linkLocal,

            // Never a real destination; on Linux 0.0.0.0 reaches the local host behind the loopback rule's back.
            AddressCategory.Unspecified => AddressAccess.Refuse,
            _ => AddressAccess.Allow,
        };
        return access == AddressAccess.Allow ? null : $"address {address} refused by the address policy ({rule})";
    }
}

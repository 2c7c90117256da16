namespace Pipeline.Fetching;

/// <summary>Whether the fetcher may connect to a class of addresses.</summary>
public enum AddressAccess
{
    /// <summary>Connections to the addresses are made.</summary>
    Allow,

    /// <summary>Connections to the addresses are refused before any packet is sent; the URL fails naming the address and the rule.</summary>
    Refuse,
}

namespace Pipeline.Fetching;

/// <summary>The classes of IP addresses the address policy tells apart.</summary>
internal enum AddressCategory
{
    /// <summary>Any address not in another category.</summary>
    Public,

    /// <summary>127.0.0.0/8 and ::1.</summary>
    Loopback,

    /// <summary>10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16 and fc00::/7.</summary>
    Private,

    /// <summary>169.254.0.0/16, fe80::/10 and the cloud metadata addresses outside them.</summary>
    LinkLocal,

    /// <summary>0.0.0.0/8 and ::, which some stacks quietly route to the local host.</summary>
    Unspecified,
}

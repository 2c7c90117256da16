using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Runtime.ExceptionServices;

namespace Pipeline.Fetching;

/// <summary>
/// The handler's connect step: resolves the host, applies the <see cref="AddressPolicy"/> to every
/// candidate address and connects only to allowed ones.
/// </summary>
/// <remarks>
/// Checking here rather than on the URL covers what a URL check cannot: DNS names that resolve to
/// internal addresses, and every redirect hop, since each new connection passes through here.
/// Resolution and the socket connect are injectable so tests can prove a refusal happens before
/// any connect without ever dialling a non-loopback address.
/// </remarks>
/// <param name="policy">The address policy.</param>
/// <param name="resolveAsync">Resolves a host name to its addresses.</param>
/// <param name="connectAsync">Opens a connection to one allowed address.</param>
internal sealed class GuardedConnector(
    AddressPolicy policy,
    Func<string, CancellationToken, Task<IPAddress[]>> resolveAsync,
    Func<IPEndPoint, CancellationToken, ValueTask<Stream>> connectAsync)
{
    public GuardedConnector(AddressPolicy policy)
        : this(policy, Dns.GetHostAddressesAsync, ConnectSocketAsync)
    {
    }

    /// <summary>The signature of <see cref="SocketsHttpHandler.ConnectCallback"/>.</summary>
    /// <remarks>A connection asked for by an attempt whose request already ended unanswered is the handler's own re-send: refused before dialling (see <see cref="AttemptWire"/>).</remarks>
    public ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.InitialRequestMessage.Options.TryGetValue(AttemptWire.Key, out var attempt) && attempt.Unanswered)
        {
            return ValueTask.FromException<Stream>(new ResendRefusedException());
        }

        return ConnectAsync(context.DnsEndPoint, cancellationToken);
    }

    public async ValueTask<Stream> ConnectAsync(DnsEndPoint endPoint, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(endPoint);
        var host = endPoint.Host.TrimStart('[').TrimEnd(']');
        var candidates = IPAddress.TryParse(host, out var literal)
            ? [literal]
            : await resolveAsync(host, cancellationToken).ConfigureAwait(false);

        var allowed = new List<IPAddress>(candidates.Length);
        string? refusal = null;
        foreach (var address in candidates)
        {
            if (policy.Refusal(address) is { } reason)
            {
                refusal ??= reason;
            }
            else
            {
                allowed.Add(address);
            }
        }

        if (allowed.Count == 0)
        {
            throw new AddressRefusedException(refusal ?? $"host {host} resolved to no address");
        }

        ExceptionDispatchInfo? last = null;
        foreach (var address in allowed)
        {
            try
            {
                return new AttemptStream(await connectAsync(new IPEndPoint(address, endPoint.Port), cancellationToken).ConfigureAwait(false));
            }
            catch (SocketException ex)
            {
                // Try the next allowed address, as the default connect step does.
                last = ExceptionDispatchInfo.Capture(ex);
            }
        }

        last!.Throw();
        throw new UnreachableException();
    }

    /// <summary>The plain TCP connect the handler would make itself.</summary>
    internal static async ValueTask<Stream> ConnectSocketAsync(IPEndPoint endPoint, CancellationToken cancellationToken)
    {
        var socket = new Socket(endPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(endPoint, cancellationToken).ConfigureAwait(false);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}

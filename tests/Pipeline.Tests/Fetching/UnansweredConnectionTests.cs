using System.Net;
using System.Net.Sockets;
using System.Text;
using Pipeline.Fetching;
using Pipeline.Tests.Support;

namespace Pipeline.Tests.Fetching;

/// <summary>
/// A raw-socket origin on loopback that reads each request and closes the connection without a byte of
/// answer, counting what it saw: the handler's own re-sends must not multiply the configured retries.
/// </summary>
public sealed class UnansweredConnectionTests : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accepting;
    private int _requests;
    private int _connections;

    public UnansweredConnectionTests()
    {
        _listener.Start();
        _accepting = AcceptAsync();
    }

    private string Url => $"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/silent";

    [Theory]
    [InlineData(0)]
    [InlineData(2)]
    public async Task FetchAsync_ServerClosesWithoutAnswering_ServerSeesOneRequestPerConfiguredAttempt(int maxRetries)
    {
        using var services = PipelineServices.Create(new Dictionary<string, string?> { ["Pipeline:Http:Retry:MaxRetries"] = maxRetries.ToString(System.Globalization.CultureInfo.InvariantCulture) });

        var result = await services.FetchAsync(Url);

        Assert.Equal(FetchOutcome.Failed, result.Outcome);
        Assert.Equal("response_ended", result.ErrorType);
        Assert.StartsWith("ResponseEnded: the server closed the connection without a response", result.Error, StringComparison.Ordinal);
        Assert.Equal(maxRetries + 1, Volatile.Read(ref _requests));
        Assert.Equal(maxRetries + 1, result.Attempts);
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _accepting;
        _stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        var handlers = new List<Task>();
        try
        {
            while (true)
            {
                var socket = await _listener.AcceptSocketAsync(_stop.Token);
                Interlocked.Increment(ref _connections);
                handlers.Add(AnswerNothingAsync(socket));
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // Stopped.
        }

        await Task.WhenAll(handlers);
    }

    private async Task AnswerNothingAsync(Socket socket)
    {
        using (socket)
        {
            var received = new StringBuilder();
            var buffer = new byte[4096];
            try
            {
                int read;
                while ((read = await socket.ReceiveAsync(buffer, SocketFlags.None, _stop.Token)) > 0)
                {
                    received.Append(Encoding.ASCII.GetString(buffer, 0, read));
                    if (received.ToString().Contains("\r\n\r\n", StringComparison.Ordinal))
                    {
                        // Counted before the close, so the count is final by the time the client sees the end.
                        Interlocked.Increment(ref _requests);
                        break;
                    }
                }

                socket.Shutdown(SocketShutdown.Both);
            }
            catch (Exception ex) when (ex is OperationCanceledException or SocketException)
            {
                // The client went away first.
            }
        }
    }
}

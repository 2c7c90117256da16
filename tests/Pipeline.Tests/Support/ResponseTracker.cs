using System.Net;

namespace Pipeline.Tests.Support;

/// <summary>
/// A handler for the pipeline's client that wraps every response body and counts how many are
/// disposed, so a test can prove that no attempt's response, retried or cut off, is left open.
/// </summary>
public sealed class ResponseTracker
{
    private int _created;
    private int _disposed;

    public int Created => Volatile.Read(ref _created);

    public int Disposed => Volatile.Read(ref _disposed);

    public DelegatingHandler CreateHandler() => new TrackingHandler(this);

    private sealed class TrackingHandler(ResponseTracker tracker) : DelegatingHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var response = await base.SendAsync(request, cancellationToken);
            Interlocked.Increment(ref tracker._created);
            response.Content = new TrackedContent(response.Content, tracker);
            return response;
        }
    }

    private sealed class TrackedContent : HttpContent
    {
        private readonly HttpContent _inner;
        private readonly ResponseTracker _tracker;

        public TrackedContent(HttpContent inner, ResponseTracker tracker)
        {
            _inner = inner;
            _tracker = tracker;
            foreach (var header in inner.Headers)
            {
                Headers.TryAddWithoutValidation(header.Key, header.Value);
            }
        }

        protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) => _inner.CopyToAsync(stream);

        protected override Task<Stream> CreateContentReadStreamAsync() => _inner.ReadAsStreamAsync();

        protected override Task<Stream> CreateContentReadStreamAsync(CancellationToken cancellationToken) => _inner.ReadAsStreamAsync(cancellationToken);

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                Interlocked.Increment(ref _tracker._disposed);
                _inner.Dispose();
            }

            base.Dispose(disposing);
        }
    }
}

using System.Threading.Channels;
using BenchmarkDotNet.Attributes;
using Pipeline.Benchmarks.Support;
using Pipeline.Sources;

namespace Pipeline.Benchmarks;

/// <summary>
/// (a) The bounded work channel alone: one writer, one or more readers, the same TryWrite/WriteAsync
/// and WaitToReadAsync/TryRead pattern as <c>PipelineRunner</c>, capacity 100 as the default.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(BenchmarkConfig))]
public class ChannelHandoffBenchmarks : ISmokeable
{
    /// <summary>Items handed over per call.</summary>
    public const int Items = 1_000_000;

    private static readonly WorkItem Item = Workload.Items(1)[0];
    private int _size = Items;

    /// <summary>Gets or sets the number of reader loops.</summary>
    [Params(1, 4)]
    public int Readers { get; set; }

    /// <inheritdoc />
    long ISmokeable.ExpectedCount => _size;

    /// <inheritdoc />
    void ISmokeable.UseSmokeSize() => _size = 1_000;

    /// <summary>Writes every item into a bounded channel while the readers drain it.</summary>
    /// <returns>The number of items read.</returns>
    [Benchmark(OperationsPerInvoke = Items)]
    public async Task<long> WriteThenRead()
    {
        var channel = Channel.CreateBounded<WorkItem>(new BoundedChannelOptions(PipelineDefaults.ChannelCapacity)
        {
            FullMode = BoundedChannelFullMode.Wait,
            SingleReader = Readers == 1,
            SingleWriter = true,
        });
        var readers = new Task<long>[Readers];
        for (var i = 0; i < readers.Length; i++)
        {
            readers[i] = Task.Run(() => ReadAllAsync(channel.Reader));
        }

        var writer = channel.Writer;
        for (var i = 0; i < _size; i++)
        {
            if (!writer.TryWrite(Item))
            {
                await writer.WriteAsync(Item);
            }
        }

        writer.Complete();
        long read = 0;
        foreach (var count in await Task.WhenAll(readers))
        {
            read += count;
        }

        return read;
    }

    private static async Task<long> ReadAllAsync(ChannelReader<WorkItem> reader)
    {
        long count = 0;
        while (await reader.WaitToReadAsync())
        {
            while (reader.TryRead(out _))
            {
                count++;
            }
        }

        return count;
    }
}

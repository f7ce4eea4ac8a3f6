using System.Threading.Channels;
using Synapse.Grains.Interfaces.Providers;
using Synapse.Grains.Interfaces.Requests;

namespace Synapse.Requests;

/// <summary>
/// A streamed answer's writer whose first event carries the key grain's verdict, made as that event
/// is written: by then the provider that answers is known, and the verdict names what it was not sent.
/// </summary>
internal sealed class VerdictOnFirstEvent(ChannelWriter<StreamEvent> output, Func<Admission> verdict) : ChannelWriter<StreamEvent>
{
    private bool _written;

    public override bool TryWrite(StreamEvent item)
    {
        if (!output.TryWrite(_written ? item : item with { Verdict = verdict() }))
        {
            return false;
        }

        _written = true;
        return true;
    }

    public override ValueTask<bool> WaitToWriteAsync(CancellationToken cancellationToken = default) => output.WaitToWriteAsync(cancellationToken);

    public override bool TryComplete(Exception? error = null) => output.TryComplete(error);
}

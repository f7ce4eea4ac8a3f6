
namespace Synapse.Providers;

/// <summary>One dispatched server-sent event: its <c>event:</c> name (null when absent) and its joined <c>data:</c> lines.</summary>
internal readonly record struct ServerSentEvent(string? EventType, ReadOnlyMemory<byte> Data);

namespace Synapse.Gateway.OpenAi;

/// <summary>A call into the cluster: its result, or <see cref="Answered"/> false when the cluster did not answer.</summary>
public readonly record struct ClusterAnswer<T>(bool Answered, T Value);

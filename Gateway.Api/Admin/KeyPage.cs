namespace Synapse.Gateway.Admin;

/// <summary>A page of keys, newest first; <see cref="NextCursor"/> fetches the next (null on the last); <see cref="Total"/> counts the keys matching the team filter (null with a status filter).</summary>
public sealed record KeyPage(IReadOnlyList<KeyView> Items, string? NextCursor, int? Total);

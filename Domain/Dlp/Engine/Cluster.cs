
namespace Synapse.Dlp.Engine;

/// <summary>Overlapping candidates merged: their union span and the candidate that names it.</summary>
internal readonly record struct Cluster(int Start, int End, Candidate Winner);

using System.Text.Json;

namespace Synapse.Translation;

/// <summary>
/// The members of a client array, each with its path, as <see cref="TranslationJson.Objects"/>
/// gives them: a member that is not an object is refused naming its path. A struct enumerator,
/// so walking a body allocates nothing but the paths.
/// </summary>
internal readonly struct ObjectItems(JsonElement array, string path)
{
    public Enumerator GetEnumerator() => new(array.EnumerateArray(), path);

    public struct Enumerator(JsonElement.ArrayEnumerator items, string path)
    {
        private JsonElement.ArrayEnumerator _items = items;
        private int _index = -1;

        public (JsonElement Item, string Path) Current { get; private set; }

        public bool MoveNext()
        {
            if (!_items.MoveNext())
            {
                return false;
            }

            var itemPath = $"{path}[{++_index}]";
            Current = (TranslationJson.Object(_items.Current, itemPath), itemPath);
            return true;
        }
    }
}

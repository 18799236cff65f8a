using System;
using System.Collections;
using System.Collections.Generic;

namespace StructGen.Language.Collections
{
    /// <summary>
    /// An immutable array compared by its elements, so models that hold lists stay value-equatable
    /// (the incremental generator's caching depends on it).
    /// </summary>
    public readonly struct EquatableArray<T> : IEquatable<EquatableArray<T>>, IReadOnlyList<T>
        where T : IEquatable<T>
    {
        private readonly T[]? _items;

        public EquatableArray(IEnumerable<T> items) => _items = new List<T>(items).ToArray();

        public static EquatableArray<T> Empty => default;

        public int Count => _items?.Length ?? 0;

        public T this[int index] => (_items ?? throw new IndexOutOfRangeException())[index];

        public bool Equals(EquatableArray<T> other)
        {
            int n = Count;
            if (n != other.Count)
            {
                return false;
            }
            for (int i = 0; i < n; i++)
            {
                if (!EqualityComparer<T>.Default.Equals(_items![i], other._items![i]))
                {
                    return false;
                }
            }
            return true;
        }

        public override bool Equals(object? obj) => obj is EquatableArray<T> other && Equals(other);

        public override int GetHashCode()
        {
            unchecked
            {
                int hash = 17;
                if (_items is not null)
                {
                    foreach (T item in _items)
                    {
                        hash = (hash * 31) + (item is null ? 0 : item.GetHashCode());
                    }
                }
                return hash;
            }
        }

        public static bool operator ==(EquatableArray<T> left, EquatableArray<T> right) => left.Equals(right);

        public static bool operator !=(EquatableArray<T> left, EquatableArray<T> right) => !left.Equals(right);

        public IEnumerator<T> GetEnumerator() => ((IEnumerable<T>)(_items ?? Array.Empty<T>())).GetEnumerator();

        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
    }

    /// <summary>Creation helpers for <see cref="EquatableArray{T}"/>.</summary>
    public static class EquatableArray
    {
        public static EquatableArray<T> Create<T>(params T[] items)
            where T : IEquatable<T> => new EquatableArray<T>(items);

        public static EquatableArray<T> ToEquatableArray<T>(this IEnumerable<T> items)
            where T : IEquatable<T> => new EquatableArray<T>(items);
    }
}

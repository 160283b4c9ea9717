using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;

namespace Periscope.Generators.Model;

/// <summary>
/// An immutable array with structural equality. Incremental-generator models must compare by value,
/// or the driver's cache sees every run as a change; ImmutableArray compares by reference.
/// </summary>
public sealed class ImmutableEquatableArray<T> : IEquatable<ImmutableEquatableArray<T>>, IReadOnlyList<T>
    where T : IEquatable<T>
{
    public static ImmutableEquatableArray<T> Empty { get; } = new(Array.Empty<T>());

    private readonly T[] _values;

    public ImmutableEquatableArray(IEnumerable<T> values) => _values = values.ToArray();

    public T this[int index] => _values[index];

    public int Count => _values.Length;

    public bool Equals(ImmutableEquatableArray<T>? other)
        => other is not null && _values.SequenceEqual(other._values);

    public override bool Equals(object? obj) => obj is ImmutableEquatableArray<T> other && Equals(other);

    public override int GetHashCode()
    {
        var hash = 17;
        foreach (var value in _values)
        {
            hash = unchecked((hash * 31) + (value is null ? 0 : value.GetHashCode()));
        }

        return hash;
    }

    public IEnumerator<T> GetEnumerator() => ((IEnumerable<T>)_values).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => _values.GetEnumerator();
}

/// <summary>Factory helpers for <see cref="ImmutableEquatableArray{T}"/>.</summary>
public static class ImmutableEquatableArray
{
    public static ImmutableEquatableArray<T> ToImmutableEquatableArray<T>(this IEnumerable<T> values)
        where T : IEquatable<T>
        => new(values);
}

namespace StructGen.Serialization.Pickle;

/// <summary>
/// What a pickle may refer to beyond plain data. <see cref="RestrictedUnpickler"/> handles lists, dicts,
/// tuples and scalars itself and asks this for everything that in Python would import or run code; an
/// implementation answers from an allow list and throws <see cref="System.IO.InvalidDataException"/> for
/// anything else.
/// </summary>
internal interface IPickleEnvironment
{
    /// <summary>GLOBAL / STACK_GLOBAL: returns a stand-in for <c>module.name</c>, or refuses it.</summary>
    object ResolveGlobal(string module, string name);

    /// <summary>REDUCE: the result of calling <paramref name="callable"/> (something <see cref="ResolveGlobal"/> returned) with <paramref name="arguments"/>.</summary>
    object? Call(object? callable, PickleTuple arguments);

    /// <summary>BUILD: applies <paramref name="state"/> to <paramref name="target"/> (e.g. <c>_metadata</c> of an OrderedDict).</summary>
    void Build(object? target, object? state);

    /// <summary>BINPERSID: the object a persistent id names (torch: a storage record of the archive).</summary>
    object PersistentLoad(object? persistentId);
}

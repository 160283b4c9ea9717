# template: the Homebrew formula for Periscope. packaging/render.mjs fills the {{...}} fields from
# template: the release's archives and drops these lines (./build.sh release, the release workflow),
# template: writing the formula for the tap to artifacts/release/homebrew/periscope.rb.
class Periscope < Formula
  desc "Periscope analytics for OpenCode: models, tokens, cost and commits, never content"
  homepage "{{homepage}}"
  version "{{version}}"
  license "MIT"

  on_macos do
    on_arm do
      url "{{url:osx-arm64}}"
      sha256 "{{sha256:osx-arm64}}"
    end
    on_intel do
      url "{{url:osx-x64}}"
      sha256 "{{sha256:osx-x64}}"
    end
  end

  on_linux do
    on_arm do
      url "{{url:linux-arm64}}"
      sha256 "{{sha256:linux-arm64}}"
    end
    on_intel do
      url "{{url:linux-x64}}"
      sha256 "{{sha256:linux-x64}}"
    end
  end

  def install
    bin.install "periscope"
  end

  test do
    assert_match "periscope #{version}", shell_output("#{bin}/periscope --version")
    assert_match "\"$schema\"", shell_output("#{bin}/periscope schema")
  end
end
